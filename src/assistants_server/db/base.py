"""Declarative base with a naming convention, so constraints have stable names everywhere."""

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(record: type[Base]) -> Table:
    """A record's table, for Core statements run with many parameter sets at once (an ORM
    statement given a list would be an ORM bulk operation instead)."""
    table = record.__table__
    assert isinstance(table, Table)
    return table
