"""One key map for every queue: a key never means two things."""

from collections import defaultdict

from curation.forms import DECISION_FORMS, DIGITS, PAGE_SHORTCUTS, shared_keymap

PAGE_KEYS = {key for key, _action in PAGE_SHORTCUTS}


def letter_meanings() -> dict[str, set[tuple[str, str]]]:
    meanings = defaultdict(set)
    for form_class in DECISION_FORMS.values():
        for field, keys in form_class().shortcuts.items():
            for value, key in keys.items():
                if key not in DIGITS:
                    meanings[key].add((field, value))
    return meanings


def test_a_letter_picks_the_same_answer_in_every_queue():
    assert letter_meanings()  # the virtual and moderation queues have letters
    assert {key: answers for key, answers in letter_meanings().items() if len(answers) > 1} == {}


def test_digits_only_answer_the_main_question_of_a_queue():
    for form_class in DECISION_FORMS.values():
        form = form_class()
        fields_with_digits = {
            field
            for field, keys in form.shortcuts.items()
            if any(key in DIGITS for key in keys.values())
        }
        if form.main:
            assert fields_with_digits == {form.main}
            assert list(form.shortcuts[form.main].values())[:2] == ["1", "2"]
        else:  # the quality checklist: digit n is its n-th item
            assert all(field.startswith("check_") for field in fields_with_digits)


def test_no_decision_key_is_a_page_key():
    for form_class in DECISION_FORMS.values():
        keys = {key for keys in form_class().shortcuts.values() for key in keys.values()}
        assert keys & PAGE_KEYS == set(), form_class.__name__


def test_the_overlay_lists_every_letter_and_page_key_once():
    listed = [key for key, _action in shared_keymap()]
    assert len(listed) == len(set(listed))
    assert set(letter_meanings()) | PAGE_KEYS <= set(listed)
