from . import limits as limits_module


def limits(request) -> dict:
    """The input limits, so that a form's maxlength says what its service enforces."""
    return {"limits": limits_module}
