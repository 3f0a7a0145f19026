"""ORM records, one per file; imported here so Alembic sees every table."""

from assistants_server.db.models.assistant import AssistantRecord
from assistants_server.db.models.assistant_file import AssistantFileRecord
from assistants_server.db.models.chunk import ChunkRecord
from assistants_server.db.models.file import FileRecord
from assistants_server.db.models.message import MessageRecord
from assistants_server.db.models.periodic_job import PeriodicJobRecord
from assistants_server.db.models.run import RunRecord
from assistants_server.db.models.run_event import RunEventRecord
from assistants_server.db.models.run_step import RunStepRecord
from assistants_server.db.models.thread import ThreadRecord
from assistants_server.db.models.vector_store import VectorStoreRecord
from assistants_server.db.models.vector_store_file import VectorStoreFileRecord
from assistants_server.db.models.vector_store_file_batch import VectorStoreFileBatchRecord

__all__ = [
    "AssistantFileRecord",
    "AssistantRecord",
    "ChunkRecord",
    "FileRecord",
    "MessageRecord",
    "PeriodicJobRecord",
    "RunEventRecord",
    "RunRecord",
    "RunStepRecord",
    "ThreadRecord",
    "VectorStoreFileBatchRecord",
    "VectorStoreFileRecord",
    "VectorStoreRecord",
]
