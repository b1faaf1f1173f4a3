"""Certificates: issuing with gap-free numbers, voiding, re-issuing (DESIGN §8). Filled by issue 5."""


def course_certificates_context(*, course, user) -> dict:
    """What the class page's Giấy chứng nhận section needs (a fixed number of queries)."""
    return {}
