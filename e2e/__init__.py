"""End-to-end tests: the portal driven through headless Chromium, as a user would."""
