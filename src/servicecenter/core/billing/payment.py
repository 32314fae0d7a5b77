"""How a Swedish invoice is paid: the OCR reference and the giro numbers as people read them.

The OCR reference (Bankgirot's "OCR-referens") is the invoice's number followed, when the payee
asks for it, by a length digit (the number of digits including both control digits, modulo 10)
and always by a check digit computed with the Luhn algorithm (modulus 10, weights 2-1 from the
right). The bank refuses a payment whose reference fails the check, so a mistyped reference
never reaches the wrong invoice."""

from __future__ import annotations

import re


def luhn_digit(digits: str) -> int:
    """The Luhn check digit of ``digits`` (the digit that makes digits + it pass the check)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def ocr_reference(number: int, with_length: bool = False) -> str:
    """The OCR reference of invoice ``number``: its digits, a length digit when asked, a check digit."""
    if number < 0:
        raise ValueError("an invoice number is not negative")
    digits = str(number)
    if with_length:
        digits += str((len(digits) + 2) % 10)
    return digits + str(luhn_digit(digits))


def ocr_valid(text: str, with_length: bool = False) -> bool:
    """Whether ``text`` is a valid OCR reference (2–25 digits, the check digit right, and the
    length digit when the payee uses one)."""
    if not re.fullmatch(r"\d{2,25}", text or ""):
        return False
    if luhn_digit(text[:-1]) != int(text[-1]):
        return False
    return not with_length or int(text[-2]) == len(text) % 10


def giro(number: str, kind: str = "bankgiro") -> str:
    """A bankgiro as 123-4567 or 1234-5678; a plusgiro as 12 34 56-7 (the groups of two from the
    left, the check digit after a hyphen). Other text is returned as it is."""
    digits = re.sub(r"\D", "", number or "")
    if kind == "bankgiro" and len(digits) in (7, 8):
        return f"{digits[:-4]}-{digits[-4:]}"
    if kind == "plusgiro" and 2 <= len(digits) <= 8:
        body, check = digits[:-1], digits[-1]
        head = len(body) % 2
        groups = ([body[:head]] if head else []) + [body[i:i + 2] for i in range(head, len(body), 2)]
        return " ".join(groups) + f"-{check}"
    return number or ""
