import re

# Characters XML 1.0 cannot carry at all; stored text may still hold them.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text):
    return _NOT_IN_XML.sub("", text or "")
