"""Text extraction for file search: an uploaded file's bytes, streamed in, its text streamed out.

    extract_text(filename, chunks)  ->  text pieces, in document order

The kind of file is decided by its extension (`kind_of`). Text and HTML are decoded as they
arrive; PDF and DOCX need random access, so they are spooled (in memory up to 16 MiB, then to a
temporary file) and parsed in a worker thread, off the event loop. The extension is checked when
iteration starts; `kind_of` / `is_supported` check it up front.

Errors (both carry a human `.message` and the `code` a vector store file's `last_error` uses):

    ExtractionError
     ├── UnsupportedFile   code "unsupported_file": an extension we cannot read
     └── UnreadableFile    code "invalid_file": invalid UTF-8, a corrupt or encrypted PDF/DOCX
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import AsyncIterator, Iterator
from enum import Enum
from html.parser import HTMLParser
from typing import IO, Any

import anyio.to_thread
import docx
from docx.table import Table
from pypdf import PdfReader

SPOOL_MAX_SIZE = 16 * 1024 * 1024

TEXT_EXTENSIONS = frozenset(
    {
        *("txt", "text", "md", "markdown", "rst", "adoc", "org", "log", "tex", "bib"),
        *("py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "tsx", "java", "c", "cc", "cpp", "cxx"),
        *("h", "hh", "hpp", "cs", "go", "rb", "php", "pl", "sh", "bash", "zsh", "ps1", "rs"),
        *("kt", "kts", "swift", "scala", "lua", "r", "sql", "dart", "ex", "exs", "erl", "hs"),
        *("ml", "clj", "vue", "svelte", "css", "scss", "less"),
        *("json", "jsonl", "csv", "tsv", "xml", "yaml", "yml", "toml", "ini", "cfg", "conf"),
        *("env", "properties"),
    }
)
HTML_EXTENSIONS = frozenset({"html", "htm"})


class Kind(Enum):
    TEXT = "text"
    HTML = "HTML"
    PDF = "PDF"
    DOCX = "DOCX"


class ExtractionError(Exception):
    code = "invalid_file"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedFile(ExtractionError):
    code = "unsupported_file"


class UnreadableFile(ExtractionError):
    code = "invalid_file"


def _extension(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def _supported_kinds() -> str:
    text = ", ".join(f".{extension}" for extension in sorted(TEXT_EXTENSIONS))
    return f"text and source code ({text}), HTML (.htm, .html), PDF (.pdf) and Word (.docx)"


def kind_of(filename: str) -> Kind:
    """The kind of file `filename` names, or `UnsupportedFile`."""
    extension = _extension(filename)
    if extension in TEXT_EXTENSIONS:
        return Kind.TEXT
    if extension in HTML_EXTENSIONS:
        return Kind.HTML
    if extension == "pdf":
        return Kind.PDF
    if extension == "docx":
        return Kind.DOCX
    what = f"the extension '.{extension}'" if extension else "no extension"
    raise UnsupportedFile(
        f"The file {filename} has {what}, which file search does not support. "
        f"Supported kinds: {_supported_kinds()}."
    )


def is_supported(filename: str) -> bool:
    try:
        kind_of(filename)
    except UnsupportedFile:
        return False
    return True


async def extract_text(filename: str, chunks: AsyncIterator[bytes]) -> AsyncIterator[str]:
    """Yield the text of `filename` in order, in pieces, reading `chunks` as it goes.

    Units of the document (PDF pages, DOCX paragraphs, HTML blocks) end with a newline, so
    concatenating the pieces gives the document's text; a piece may end mid-word.
    """
    kind = kind_of(filename)
    if kind is Kind.TEXT:
        source = _decode_utf8(filename, chunks)
    elif kind is Kind.HTML:
        source = _html_text(filename, _decode_utf8(filename, chunks))
    elif kind is Kind.PDF:
        source = _pdf_text(filename, chunks)
    else:
        source = _docx_text(filename, chunks)
    async for piece in source:
        if piece:
            yield piece


async def _decode_utf8(filename: str, chunks: AsyncIterator[bytes]) -> AsyncIterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    consumed = 0  # bytes handed to the decoder before the current chunk
    first = True
    chunk = b""
    try:
        async for chunk in chunks:
            text = decoder.decode(chunk)
            consumed += len(chunk)
            if first and text:
                text = text.removeprefix("\ufeff")  # a byte order mark is not content
                first = False
            yield text
        chunk = b""
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        # exc.start counts from the bytes the decoder still held, then this chunk
        held = len(exc.object) - len(chunk)
        offset = consumed - held + exc.start
        raise UnreadableFile(
            f"The file {filename} could not be read as text: it is not valid UTF-8 "
            f"(invalid byte at offset {offset})."
        ) from exc


_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "br", "dd", "details", "div"),
        *("dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary"),
        *("table", "td", "th", "title", "tr", "ul"),
    }
)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})


class _TextParser(HTMLParser):
    """Collects the visible text, one line per block, whitespace collapsed outside <pre>.

    `take()` hands over what was collected so far.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._pieces: list[str] = []
        self._skipping: list[str] = []  # open skipped elements, innermost last
        self._pre = 0
        self._line_start = True  # nothing, or a newline, was collected last
        self._space = False  # collapsed whitespace owed before the next word

    def _line_break(self) -> None:
        self._space = False
        if not self._line_start:
            self._pieces.append("\n")
            self._line_start = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping.append(tag)
        elif tag == "pre":
            self._pre += 1
        if tag in _BLOCK_TAGS:
            self._line_break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._line_break()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipping:
            while self._skipping.pop() != tag:  # close what the markup left open inside it
                pass
        elif tag == "pre" and self._pre:
            self._pre -= 1
        if tag in _BLOCK_TAGS:
            self._line_break()

    def handle_data(self, data: str) -> None:
        if self._skipping or not data:
            return
        if self._pre:
            self._pieces.append(" " + data if self._space else data)
            self._line_start, self._space = data.endswith("\n"), False
            return
        words = data.split()
        if not words:
            self._space = True
            return
        space = (self._space or data[0].isspace()) and not self._line_start
        self._pieces.append(" " * space + " ".join(words))
        self._line_start, self._space = False, data[-1].isspace()

    def close(self) -> None:
        super().close()
        self._line_break()

    def take(self) -> str:
        text = "".join(self._pieces)
        self._pieces.clear()
        return text


async def _html_text(filename: str, text: AsyncIterator[str]) -> AsyncIterator[str]:
    parser = _TextParser()
    try:
        async for piece in text:
            parser.feed(piece)
            yield parser.take()
        parser.close()
    except AssertionError as exc:  # how html.parser reports markup it cannot parse
        raise UnreadableFile(f"The file {filename} could not be read as HTML: {exc}") from exc
    yield parser.take()


async def _spool(chunks: AsyncIterator[bytes], spool: IO[bytes]) -> None:
    async for chunk in chunks:
        spool.write(chunk)
    spool.seek(0)


def _unreadable(filename: str, kind: Kind, exc: Exception) -> UnreadableFile:
    detail = str(exc) or type(exc).__name__
    return UnreadableFile(f"The file {filename} could not be read as {kind.value}: {detail}")


async def _pdf_text(filename: str, chunks: AsyncIterator[bytes]) -> AsyncIterator[str]:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE) as spool:
        await _spool(chunks, spool)

        def open_reader() -> PdfReader:
            reader = PdfReader(spool)
            if reader.is_encrypted and not reader.decrypt(""):
                raise UnreadableFile(
                    f"The file {filename} could not be read as PDF: it is password-protected."
                )
            return reader

        try:
            reader = await anyio.to_thread.run_sync(open_reader)
            page_count = await anyio.to_thread.run_sync(lambda: len(reader.pages))
        except ExtractionError:
            raise
        except Exception as exc:  # a corrupt file fails in many ways inside pypdf
            raise _unreadable(filename, Kind.PDF, exc) from exc
        for number in range(page_count):
            try:
                text = await anyio.to_thread.run_sync(_page_text, reader, number)
            except Exception as exc:
                raise _unreadable(filename, Kind.PDF, exc) from exc
            if text.strip():
                yield text.rstrip() + "\n\n"


def _page_text(reader: PdfReader, number: int) -> str:
    return reader.pages[number].extract_text()


async def _docx_text(filename: str, chunks: AsyncIterator[bytes]) -> AsyncIterator[str]:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE) as spool:
        await _spool(chunks, spool)
        try:
            document = await anyio.to_thread.run_sync(docx.Document, spool)
            blocks = await anyio.to_thread.run_sync(lambda: list(_docx_blocks(document)))
        except Exception as exc:  # a corrupt file fails in many ways inside python-docx
            raise _unreadable(filename, Kind.DOCX, exc) from exc
    for block in blocks:
        yield block


def _docx_blocks(container: Any) -> Iterator[str]:
    """Paragraph texts and table rows (cells separated by tabs), in document order."""
    for item in container.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                seen: list[Any] = []
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):  # merged: listed once per grid column
                        continue
                    seen.append(cell._tc)
                    cells.append(" ".join("".join(_docx_blocks(cell)).split()))
                if any(cells):
                    yield "\t".join(cells) + "\n"
        elif item.text.strip():
            yield item.text + "\n"
