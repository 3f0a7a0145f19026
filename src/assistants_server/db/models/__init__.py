"""ORM records, one per file; imported here so Alembic sees every table."""

from assistants_server.db.models.assistant import AssistantRecord
from assistants_server.db.models.assistant_file import AssistantFileRecord
from assistants_server.db.models.file import FileRecord

__all__ = ["AssistantFileRecord", "AssistantRecord", "FileRecord"]
