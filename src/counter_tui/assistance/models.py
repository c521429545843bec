"""The assistance table: a projection of assistance.recorded (rebuilt by replay)."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Assist(SQLModel, table=True):
    """One 帮代办."""

    __tablename__ = "assist"
    __table_args__ = (Index("ix_assist_site_at", "site", "at"),)

    id: str = Field(primary_key=True, max_length=36)
    site: str = Field(max_length=64)
    at: datetime
    assistant: str = Field(max_length=128)
    way: str = Field(max_length=8)
    for_whom: str = Field(max_length=16)
    minutes: int
    note: str = ""
    case_number: str = Field(default="", max_length=64, index=True)
