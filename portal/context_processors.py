from django.utils.functional import SimpleLazyObject


def navigation(request):
    """What the header needs to know about the person; evaluated only when a template asks."""
    from accounts.permissions import is_agency_staff

    user = getattr(request, "user", None)
    return {"show_staff_menu": SimpleLazyObject(lambda: bool(user is not None and is_agency_staff(user)))}
