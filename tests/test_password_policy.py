"""Which passwords serve and add-user refuse (no server needed)."""

import pytest

from govreport.password_policy import MIN_LENGTH, check_password, password_problems


@pytest.mark.parametrize("username, password, problem", [
    ("admin", "admin", "shorter than"),
    ("lead", "short-1A", "shorter than"),
    ("lead", "password1234", "common or default"),
    ("lead", "Changeme2026!", "common or default"),
    ("lead", "qwertyqwerty", "common or default"),
    ("lead", "z" * 16, "one character repeated"),
    ("annotator_7", "annotator_7-2026", "contains the user name"),
    ("ann_a", "ANN_A-is-my-name", "contains the user name"),
])
def test_weak_passwords_are_refused_with_the_reason(username, password, problem):
    assert any(problem in reason for reason in password_problems(username, password))
    message = check_password(username, password, role="annotator")
    assert f"at least {MIN_LENGTH} characters" in message
    if password != username:  # the user name is named; the password never
        assert password not in message


def test_random_passwords_pass():
    import secrets

    for _ in range(20):
        assert check_password("ann_a", secrets.token_urlsafe(16)) is None
    assert check_password("x", "correct-horse-battery") is None  # a one-letter user name is not searched for
