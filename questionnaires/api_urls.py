"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from questionnaires import api

router = SimpleRouter()
router.register("questionnaires", api.QuestionnaireViewSet, basename="questionnaire")
router.register("question-sets", api.QuestionSetViewSet, basename="question-set")

urlpatterns = router.urls
