"""Admin change forms as a browser would post them back."""

from django import forms


def admin_form_data(client, url: str) -> dict:
    """The form at `url` with every value as shown (inlines included), ready to change and post."""
    context = client.get(url).context
    data, bound = {}, [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
        bound += inline.formset.forms
    for form in bound:
        for name, field in form.fields.items():
            _put(data, form.add_prefix(name), field.widget, form[name].value())
            if field.show_hidden_initial:  # what the page held, to tell what changed
                _put(data, form.add_initial_prefix(name), field.widget, form[name].value())
    return data


def _put(data: dict, key: str, widget, value) -> None:
    if isinstance(widget, forms.MultiWidget):
        for index, part in enumerate(widget.decompress(value)):
            _put(data, f"{key}_{index}", widget.widgets[index], part)
    elif value is True:
        data[key] = "on"
    elif value is not None and value is not False:
        data[key] = value
