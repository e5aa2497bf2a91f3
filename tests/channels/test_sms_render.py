"""SMS rendering without Rasa: segments, encodings, numbered choices, markdown."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.sms_render import (
    GSM7_LIMIT,
    MAX_PARTS,
    SAFE_OPT_OUT_TITLE,
    UCS2_LIMIT,
    choices_text,
    clean,
    is_gsm7,
    keyword_of,
    match_choice,
    render_turn,
    segment_limit,
    sms_units,
    split_parts,
    strip_markdown,
    to_gsm_friendly,
)

LABEL = re.compile(r"^\((\d)/(\d)\) ")


def _unlabelled(parts: list[str]) -> list[str]:
    return [LABEL.sub("", part) for part in parts]


def _fits(part: str) -> bool:
    return sms_units(part) <= segment_limit(part)


# ------------------------------------------------------------ encodings


def test_gsm7_units_count_extension_characters_twice() -> None:
    assert is_gsm7("Hello @ £5 {ok}")
    assert sms_units("abc") == 3
    assert sms_units("{€}") == 6


def test_non_gsm_text_counts_utf16_units() -> None:
    assert not is_gsm7("こんにちは")
    assert segment_limit("こんにちは") == UCS2_LIMIT
    assert sms_units("\U0001f600") == 2  # an emoji is a surrogate pair
    assert segment_limit("plain") == GSM7_LIMIT


def test_typography_is_replaced_so_text_stays_gsm7() -> None:
    fancy = "\u201cIt\u2019s fine\u201d \u2013 really\u2026 \u2014 ok\u00a0\u2022 yes"
    plain = to_gsm_friendly(fancy)
    assert plain == '"It\'s fine" - really... - ok - yes'
    assert is_gsm7(plain)


# ------------------------------------------------------------ markdown


def test_markdown_is_stripped_and_links_kept_as_urls() -> None:
    text = (
        "# Welcome\n**Bold** and *soft* and __strong__ and `code` and ~~old~~.\n"
        "* first\n+ second\n> quoted\n"
        "See [our page](https://clinic.example/a_b_c) or https://clinic.example/x_y_z.\n"
        "![map](https://clinic.example/map.png)"
    )
    assert strip_markdown(text) == (
        "Welcome\nBold and soft and strong and code and old.\n"
        "- first\n- second\nquoted\n"
        "See our page (https://clinic.example/a_b_c) or https://clinic.example/x_y_z.\n"
        "https://clinic.example/map.png"
    )


def test_snake_case_and_arithmetic_survive() -> None:
    assert strip_markdown("use file_name_here and 2 * 3 * 4") == "use file_name_here and 2 * 3 * 4"


def test_link_whose_label_is_the_url_appears_once() -> None:
    url = "https://clinic.example/book"
    assert strip_markdown(f"[{url}]({url})") == url


# ------------------------------------------------------------ keywords and choices


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("STOP", "opt_out"),
        (" stop ", "opt_out"),
        ("Cancel", "opt_out"),
        ("unsubscribe", "opt_out"),
        ("end", "opt_out"),
        ("QUIT", "opt_out"),
        ("Stop.", "opt_out"),
        ("start", "opt_in"),
        ("UNSTOP", "opt_in"),
        ("yes", "opt_in"),
        ("help", "help"),
        ("Info", "help"),
        ("stop booking", None),
        ("please cancel", None),
        ("never mind", None),
        ("", None),
    ],
)
def test_carrier_keywords_are_whole_messages(body: str, kind: str | None) -> None:
    assert keyword_of(body) == kind


def test_choices_read_naturally() -> None:
    assert choices_text([]) == ""
    assert choices_text(["Book"]) == 'Reply 1 for "Book".'
    assert choices_text(["A", "B", "C"]) == 'Reply 1 for "A", 2 for "B" or 3 for "C".'


def test_numbers_and_typed_titles_map_to_payloads() -> None:
    options = [("Talk to our team", "/human_handoff"), ("Book a free consultation", "/book")]
    assert match_choice("1", options) == "/human_handoff"
    assert match_choice(" 2. ", options) == "/book"
    assert match_choice("#2", options) == "/book"
    assert match_choice("book a free consultation!", options) == "/book"
    assert match_choice("3", options) is None
    assert match_choice("0", options) is None
    assert match_choice("1 more question", options) is None
    assert match_choice("1", []) is None


def test_a_button_titled_like_an_opt_out_keyword_is_renamed() -> None:
    turn = render_turn(
        [
            {
                "text": "Shall I send it?",
                "buttons": [
                    {"title": "Yes, book it", "payload": "/affirm"},
                    {"title": "Cancel", "payload": "/cancel"},
                ],
            }
        ]
    )
    assert turn.options == [("Yes, book it", "/affirm"), (SAFE_OPT_OUT_TITLE, "/cancel")]
    assert turn.parts == [
        f'Shall I send it?\nReply 1 for "Yes, book it" or 2 for "{SAFE_OPT_OUT_TITLE}".'
    ]
    assert "cancel" not in turn.parts[0].lower()


def test_buttons_from_several_messages_are_numbered_in_order() -> None:
    turn = render_turn(
        [
            {"text": "First.", "buttons": [{"title": "A", "payload": "/a"}]},
            {"text": "Second.", "buttons": [{"title": "B", "payload": "/b"}]},
            {"image": "https://clinic.example/p.png"},
            {"text": "Web", "buttons": [{"title": "Site", "url": "https://clinic.example"}]},
        ]
    )
    assert turn.options == [("A", "/a"), ("B", "/b")]
    assert turn.parts == [
        "First.\nSecond.\nhttps://clinic.example/p.png\nWeb\nSite: https://clinic.example\n"
        'Reply 1 for "A" or 2 for "B".'
    ]


# ------------------------------------------------------------ splitting

SENTENCES = [
    "Physical therapy helps babies build the motor skills they use every day.",
    "Sessions are gentle and playful.",
    "Your therapist checks strength, flexibility, muscle tone and movement patterns.",
    "Then we practise the exercises together so you can keep them going at home.",
    "You can reach out with questions between visits.",
]


def test_short_text_is_one_unlabelled_part() -> None:
    assert split_parts(["Hello there."]) == ["Hello there."]
    assert split_parts([]) == []


def test_long_text_splits_on_sentence_boundaries_in_order() -> None:
    parts = split_parts([" ".join(SENTENCES)])
    assert 2 <= len(parts) <= MAX_PARTS
    assert [LABEL.match(p).groups() for p in parts] == [
        (str(i), str(len(parts))) for i in range(1, len(parts) + 1)
    ]
    for part in _unlabelled(parts):
        assert part.endswith(".")  # every part ends where a sentence ends
    assert " ".join(_unlabelled(parts)) == " ".join(SENTENCES)
    assert all(_fits(part) for part in parts)


def test_ucs2_text_uses_70_character_parts() -> None:
    text = "Привет! " * 30
    parts = split_parts([text])
    assert all(not is_gsm7(p) and sms_units(p) <= UCS2_LIMIT for p in parts)
    assert len(parts) <= MAX_PARTS


def test_too_long_text_is_cut_with_ellipsis_but_keeps_the_choices() -> None:
    tail = 'Reply 1 for "Book a free consultation".'
    parts = split_parts([" ".join(SENTENCES * 6)], tail)
    assert len(parts) == MAX_PARTS
    assert parts[-1].endswith(tail)
    assert "..." in " ".join(parts)
    assert all(_fits(part) for part in parts)


def test_a_long_url_is_cut_only_when_it_cannot_fit() -> None:
    url = "https://clinic.example/" + "a" * 300
    parts = split_parts([url])
    assert "".join(_unlabelled(parts)) == url
    assert all(_fits(part) for part in parts)


def test_clean_handles_the_real_faq_style() -> None:
    text = "Yes \u2013 **gentle** sessions\u2026 see [us](https://clinic.example)."
    assert clean(text) == "Yes - gentle sessions... see us (https://clinic.example)."


# ------------------------------------------------------------ properties

_gsm_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789,'-", min_size=1, max_size=25)
_sentence = st.lists(_gsm_word, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=1200), st.text(max_size=120))
def test_any_text_gives_at_most_four_parts_that_each_fit(text: str, tail: str) -> None:
    parts = split_parts([text], tail)
    assert len(parts) <= MAX_PARTS
    assert all(_fits(part) for part in parts)
    assert all(part.strip() for part in parts)


@settings(max_examples=200, deadline=None)
@given(st.lists(_sentence, min_size=1, max_size=6))
def test_text_that_fits_is_kept_word_for_word_in_order(sentences: list[str]) -> None:
    parts = split_parts([" ".join(sentences)])
    if "..." not in " ".join(parts):
        assert " ".join(_unlabelled(parts)).split() == " ".join(sentences).split()


@settings(max_examples=200, deadline=None)
@given(st.lists(_sentence, min_size=1, max_size=30))
def test_gsm_text_never_needs_ucs2(sentences: list[str]) -> None:
    parts = split_parts([" ".join(sentences)])
    assert all(is_gsm7(part) for part in parts)
    assert all(sms_units(part) <= GSM7_LIMIT for part in parts)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abc xyz\u2019\u201c\u201d\u2013\u2014\u2026", min_size=1, max_size=30),
        min_size=1,
        max_size=4,
    )
)
def test_numbered_choices_round_trip(titles: list[str]) -> None:
    buttons = [{"title": t, "payload": f"/choice_{i}"} for i, t in enumerate(titles)]
    turn = render_turn([{"text": "Pick one.", "buttons": buttons}])
    assert len(turn.options) == len(titles)
    for number, (_, payload) in enumerate(turn.options, start=1):
        assert match_choice(str(number), turn.options) == payload
    assert all(is_gsm7(part) for part in turn.parts)
