def account_banners(request):
    """Reminders set by AccountRequirementsMiddleware (MFA grace, password expiry)."""
    return {"account_banners": getattr(request, "simpatik_banners", [])}
