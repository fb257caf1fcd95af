"""Numbers taken from URLs, bounded before they reach the database.

Django's `int` converter takes any number of digits; a 20-digit id overflows
an integer column (PostgreSQL's, SQLite's) and the request ends in a 500. An
`id` is at most the largest value of a 32-bit integer column, which also fits
every bigint id a newsroom will reach; anything larger matches no URL: a 404.
"""

MAX_ID = 2**31 - 1


class IdConverter:
    regex = "[0-9]{1,10}"

    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValueError(f"{value} is larger than any id")
        return number

    def to_url(self, value):
        return str(value)
