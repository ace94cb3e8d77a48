from . import limits as limits_module
from . import web_app as web_app_module


def limits(request) -> dict:
    """The input limits, so that a form's maxlength says what its service enforces."""
    return {"limits": limits_module}


def web_app(request) -> dict:
    """The browser bar's colour (`<meta name="theme-color">`), the manifest's."""
    return {"THEME_COLOUR": web_app_module.THEME_COLOUR}
