from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistants_server.db.base import Base


class ChunkRecord(Base):
    """A chunk of a vector store file's text, with its embedding (float32, little-endian)
    when the embeddings model gave one.

    The lexical index lives beside this table and is kept in step by the database itself:
    on SQLite an FTS5 table `chunks_fts` filled by triggers, on PostgreSQL a generated
    `search_vector` tsvector column with a GIN index (see the migration). `lead` is how many
    characters at the start repeat the end of the previous chunk (the overlap).
    """

    __tablename__ = "chunks"
    __table_args__ = (
        ForeignKeyConstraint(
            ["vector_store_id", "file_id"],
            ["vector_store_files.vector_store_id", "vector_store_files.file_id"],
            ondelete="CASCADE",
        ),
        Index(None, "vector_store_id", "file_id", "position"),
        # ids are never reused (SQLite reuses the highest freed ids otherwise): the vectors a
        # process holds tell a file ingested anew by its first chunk id
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    vector_store_id: Mapped[str] = mapped_column(String(64))
    file_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    lead: Mapped[int] = mapped_column(Integer, default=0)
    tokens: Mapped[int] = mapped_column(Integer)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
