"""The Content-Security-Policy header on every response that does not set its own (evidence files do)."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        if settings.DEBUG and response.status_code >= 500:
            return response  # Django's technical error page uses inline styles and scripts
        response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response
