from celery import shared_task

from family.services.classify import family_recompute
from family.services.model import NotEnoughLabels, family_model_nightly


@shared_task(name="family.classify")
def classify_family() -> str:
    """The nightly recomputation of the family-offer labels (also queued when a rule or model
    version is activated)."""
    result, builds = family_recompute()
    return "\n".join([result.line(), *(build.line() for build in builds)])


@shared_task(name="family.train")
def train_family_model() -> str:
    """The nightly training: a new version, activated only when it does at least as well."""
    try:
        model, activated = family_model_nightly()
    except NotEnoughLabels as error:
        return f"not trained: {error}"
    verdict = "activated" if activated else "kept inactive (lower recall than the active one)"
    return f"model version {model.version} {verdict}, recall {model.recall}"
