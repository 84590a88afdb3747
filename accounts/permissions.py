"""Rules about logging in. Plain functions, used by views and tests alike."""

# ID-porten's security levels (acr), lowest first (eIDAS low, substantial, high).
IDPORTEN_ACR_LEVELS = ("idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high")
IDPORTEN_MINIMUM_ACR = "idporten-loa-substantial"


def idporten_acr_is_sufficient(acr) -> bool:
    """Whether an ID token's acr is at least substantial. A missing or unknown value is not."""
    if acr not in IDPORTEN_ACR_LEVELS:
        return False
    return IDPORTEN_ACR_LEVELS.index(acr) >= IDPORTEN_ACR_LEVELS.index(IDPORTEN_MINIMUM_ACR)


def can_log_in(user) -> bool:
    """A deactivated account cannot log in, by password or by ID-porten."""
    return user.is_active
