"""Company API routes and `me/` (the caller with their memberships), mounted under /api/v1/."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from companies import api

router = SimpleRouter()
router.register("companies", api.CompanyViewSet, basename="company")
router.register("memberships", api.MembershipViewSet, basename="membership")
router.register("invitations", api.InvitationViewSet, basename="invitation")
router.register("addresses", api.AddressViewSet, basename="address")
router.register("contacts", api.ContactViewSet, basename="contact")
router.register("identifiers", api.IdentifierViewSet, basename="identifier")
router.register("programs", api.ProgramViewSet, basename="program")

urlpatterns = [*router.urls, path("me/", api.me, name="me")]
