"""Which passwords a Doccano server reachable by a team may use (admin and annotator accounts).

A password is refused when it is shorter than MIN_LENGTH characters, is a common or default
password (Doccano's tutorials use "password"; "admin", "changeme", ... are tried first by anyone),
is made of one repeated character, or contains the user name. The answer says what is wanted,
never the password itself.
"""

from __future__ import annotations

MIN_LENGTH = 12
WANTED = (f"at least {MIN_LENGTH} characters, not a common or default password and not containing the user "
          "name; e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(16))'`")

# Default and most common passwords (lower case; compared without case and surrounding digits/punctuation).
COMMON = frozenset("""
password passw0rd p@ssw0rd p@ssword password1 password123 admin administrator admin123 adminadmin root toor
doccano doccano123 changeme changeit default secret letmein welcome welcome1 qwerty qwertyuiop qwerty123
asdfghjkl zxcvbnm iloveyou monkey dragon football baseball sunshine princess master superuser user test
testtest guest 123456 1234567 12345678 123456789 1234567890 12345678910 0123456789 987654321 111111 000000
abc123 abcdef abcdefg abcdefgh 123123 654321 666666 888888 1q2w3e4r 1qaz2wsx zaq12wsx qazwsx trustno1
annotator annotation government report govreport
""".split())


def password_problems(username: str, password: str) -> list[str]:
    """Why the password is too weak for this user; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"shorter than {MIN_LENGTH} characters")
    lowered = password.lower()
    core = lowered.strip("0123456789!@#$%^&*()_-+=.,;:?~ ")
    half = lowered[: len(lowered) // 2]
    if lowered in COMMON or core in COMMON or (half in COMMON and half * 2 == lowered):
        problems.append("a common or default password")
    if password and len(set(password)) == 1:
        problems.append("one character repeated")
    if username and (username.lower() == lowered or (len(username) >= 3 and username.lower() in lowered)):
        problems.append("contains the user name")
    return problems


def check_password(username: str, password: str, role: str = "user") -> str | None:
    """A one-line refusal saying what is wanted, or None when the password is acceptable."""
    problems = password_problems(username, password)
    if not problems:
        return None
    return (f"the password for the {role} {username!r} is too weak ({', '.join(problems)}); "
            f"use {WANTED}.")
