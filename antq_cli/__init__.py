"""antq: check, merge and sum the quarterly reports of the movement "Toàn dân bảo vệ an ninh
Tổ quốc" (see README.md and ARCHITECTURE.md)."""


def installed_version() -> str:
    """The installed antq's version ("0" when run from a source tree never installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("antq")
    except PackageNotFoundError:
        return "0"
