"""How an address travels in SMTP commands: as itself with SMTPUTF8, or in ASCII without it."""

import pytest

from newsdesk.core.smtp import envelope_address


@pytest.mark.parametrize(
    "address, envelope",
    [
        ("reader@example.org", ("reader@example.org", False)),
        ("Reader@пример.укр", ("Reader@xn--e1afmkfd.xn--j1amh", False)),
        ("reader@faß.de", ("reader@xn--fa-hia.de", False)),  # IDNA 2008, not 2003's fass.de
        ("Читач@приклад.укр", ("Читач@приклад.укр", True)),
        ("用户@例子.广告", ("用户@例子.广告", True)),
    ],
)
def test_only_a_non_ascii_mailbox_name_needs_smtputf8(address, envelope):
    assert envelope_address(address) == envelope
