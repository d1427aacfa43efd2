from django.core.management.base import BaseCommand, CommandError

from family.models import FamilyModel
from family.services.model import NotEnoughLabels, family_model_activate, family_model_train


class Command(BaseCommand):
    help = (
        "The learned family-offer model. `train [--activate]` learns from every curated family "
        "label and prints the figures of the rule and the model on the same stratified 5-fold "
        "cross-validation, the chosen threshold and the new version; `list`; `activate N`."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["train", "list", "activate"])
        parser.add_argument("version", nargs="?", type=int, help="activate: this version")
        parser.add_argument("--activate", action="store_true", help="train: activate it")

    def handle(self, *args, action, version=None, activate=False, **options):
        if action == "list":
            return self._list()
        if action == "activate":
            model = FamilyModel.objects.filter(version=version).first() if version else None
            if model is None:
                raise CommandError(f"no model version {version}" if version else "name a version")
            family_model_activate(model=model)
            self.stdout.write(f"model version {model.version} active")
            return
        try:
            model = family_model_train()
        except NotEnoughLabels as error:
            raise CommandError(str(error)) from None
        figures = model.figures
        self.stdout.write(
            f"examples {model.examples} (family {model.family_examples}); stratified "
            f"5-fold cross-validation, the same folds for both:"
        )
        for name in ("rule", "model"):
            self.stdout.write(f"  {name:5} {_figures(figures[name])}")
        self.stdout.write(
            f"threshold {model.threshold:.4f} (chosen on these out-of-fold scores for the "
            f"highest recall at precision >= {model.min_precision}); shipped: the model"
        )
        self.stdout.write(f"version {model.version}")
        if activate:
            family_model_activate(model=model)
            self.stdout.write(f"model version {model.version} active")

    def _list(self) -> None:
        for model in FamilyModel.objects.all():
            mark = "*" if model.is_active else " "
            self.stdout.write(
                f"{mark} {model.version:4} {model.trained_at:%Y-%m-%d %H:%M} "
                f"{model.examples} examples, {_figures(model.figures['model'])}"
            )


def _figures(figures: dict) -> str:
    return (
        f"precision {figures['precision']:.3f} recall {figures['recall']:.3f} "
        f"F1 {figures['f1']:.3f} (tp {figures['tp']}, fp {figures['fp']}, fn {figures['fn']}, "
        f"tn {figures['tn']})"
    )
