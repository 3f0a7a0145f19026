"""A session as the code_interpreter tool uses it: state, output, figures, files, cancelling."""

from __future__ import annotations

import asyncio
import time

import pytest

from assistants_server.sandbox import FileInfo, Limits, Output
from tests.sandbox.conftest import StartSession

PNG = b"\x89PNG\r\n\x1a\n"


async def test_variables_persist(start_session: StartSession) -> None:
    session = await start_session()
    assert session.fresh
    await session.run("import math\nradius = 2")
    assert not session.fresh
    assert await session.run("round(math.pi * radius**2, 2)") == Output("12.57\n", [], [], False)


async def test_an_exception_is_an_error_with_its_traceback(start_session: StartSession) -> None:
    session = await start_session()
    output = await session.run("print('before')\ndef divide(n):\n    return n / 0\ndivide(1)")
    assert output.error
    assert output.logs == (
        "before\n"
        "Traceback (most recent call last):\n"
        '  File "<cell-1>", line 4, in <module>\n'
        "    divide(1)\n"
        '  File "<cell-1>", line 3, in divide\n'
        "    return n / 0\n"
        "           ~~^~~\n"
        "ZeroDivisionError: division by zero\n"
    )


async def test_functions_of_the_code_can_be_pickled(start_session: StartSession) -> None:
    """As multiprocessing needs: the code's namespace is the __main__ module."""
    output = await (await start_session()).run(
        "import multiprocessing\n"
        "def square(n):\n"
        "    return n * n\n"
        "with multiprocessing.Pool(2) as pool:\n"
        "    print(pool.map(square, range(5)))"
    )
    assert (output.logs, output.error) == ("[0, 1, 4, 9, 16]\n", False)


async def test_a_syntax_error(start_session: StartSession) -> None:
    output = await (await start_session()).run("print('never'")
    assert output.error
    assert "SyntaxError" in output.logs
    assert "never\n" not in output.logs


async def test_output_in_order_from_all_sources(start_session: StartSession) -> None:
    code = (
        "import subprocess, sys\n"
        "print('out')\n"
        "print('err', file=sys.stderr)\n"
        "subprocess.run(['echo', 'child'])\n"
        "print('done')"
    )
    assert (await (await start_session()).run(code)).logs == "out\nerr\nchild\ndone\n"


async def test_long_output_is_truncated_with_a_note(start_session: StartSession) -> None:
    session = await start_session(limits=Limits(log_chars=1000))
    output = await session.run("for n in range(100_000):\n    print(n)")
    assert output.logs.startswith("0\n1\n2\n")
    size = sum(len(f"{n}\n") for n in range(100_000))
    assert output.logs.endswith(
        f"\n[Output truncated: the first 1,000 characters of {size:,} bytes are shown.]\n"
    )
    assert not output.error


async def test_truncation_keeps_the_end_of_the_traceback(start_session: StartSession) -> None:
    session = await start_session(limits=Limits(log_chars=1000))
    output = await session.run("print('x' * 5000)\nraise ValueError('the reason')")
    head, _, rest = output.logs.partition("\n[Output truncated: the first ")
    count, _, traceback = rest.partition(" characters of 5,001 bytes are shown.]\n")
    assert head == "x" * int(count.replace(",", ""))
    assert traceback.startswith("Traceback (most recent call last):\n")
    assert traceback.endswith("ValueError: the reason\n")
    assert len(head) + len(traceback) == 1000


async def test_figures_come_back_as_png(start_session: StartSession) -> None:
    session = await start_session()
    output = await session.run(
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2, 3], [1, 4, 9])\n"
        "plt.figure()\n"
        "plt.bar(['a', 'b'], [3, 5])\n"
        "plt.show()"
    )
    assert (output.logs, output.error) == ("", False)
    assert [image[:8] for image in output.images] == [PNG, PNG]
    assert (await session.run("len(plt.get_fignums())")).logs == "0\n"  # closed


async def test_files_written_are_listed_and_readable(start_session: StartSession) -> None:
    session = await start_session()
    await session.put("input.csv", b"a,b\n1,2\n")
    output = await session.run(
        "import os, pandas\n"
        "frame = pandas.read_csv('input.csv')\n"
        "os.makedirs('out', exist_ok=True)\n"
        "frame.to_csv('/mnt/data/out/copy.csv', index=False)\n"
        "open('notes.txt', 'w').write('hello')"
    )
    assert (output.files, output.error) == (["notes.txt", "out/copy.csv"], False)
    assert await session.read("out/copy.csv") == b"a,b\n1,2\n"
    assert await session.read("/mnt/data/notes.txt") == b"hello"
    assert [(f.name, f.size) for f in await session.files()] == [
        ("input.csv", 8),
        ("notes.txt", 5),
        ("out/copy.csv", 8),
    ]
    assert (await session.run("open('notes.txt').read()")).files == []  # read, not changed


async def test_put_then_the_code_reads_it(start_session: StartSession) -> None:
    session = await start_session()
    await session.put("deep/er/data.txt", b"42")
    assert (await session.run("int(open('deep/er/data.txt').read()) + 1")).logs == "43\n"


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "a/../../b", "", "a//b", "./x"])
async def test_names_outside_data_are_refused(start_session: StartSession, name: str) -> None:
    session = await start_session()
    with pytest.raises(ValueError, match="is not a file name under /mnt/data"):
        await session.read(name)
    with pytest.raises(ValueError, match="is not a file name under /mnt/data"):
        await session.put(name, b"x")


async def test_links_and_fifos_left_by_the_code_are_not_followed(
    start_session: StartSession,
) -> None:
    session = await start_session()
    await session.run(
        "import os\n"
        "os.symlink('/etc/hostname', 'link')\n"
        "os.symlink('/', 'root')\n"
        "os.mkfifo('fifo')\n"
        "open('real.txt', 'w').write('real')"
    )
    for name in ["link", "root/etc/hostname", "fifo"]:
        with pytest.raises(ValueError, match="is not a"):
            await session.read(name)
    with pytest.raises(ValueError, match="is not a"):
        await session.put("link", b"overwritten?")
    assert [info.name for info in await session.files()] == ["real.txt"]


async def test_cancelling_stops_the_code_at_once(start_session: StartSession) -> None:
    session = await start_session()
    await session.run("x = 1\nopen('kept.txt', 'w').write('kept')")
    call = asyncio.create_task(session.run("while True:\n    pass"))
    await asyncio.sleep(0.3)
    started = time.monotonic()
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert time.monotonic() - started < 0.1
    after = await session.run("print(open('kept.txt').read())\nx")
    assert after.logs.startswith("kept\nTraceback")
    assert "NameError: name 'x' is not defined" in after.logs


async def test_runs_on_one_session_take_turns(start_session: StartSession) -> None:
    session = await start_session()
    first = asyncio.create_task(session.run("import time\ntime.sleep(0.3)\nvalue = 'set'"))
    await asyncio.sleep(0.05)
    second = await session.run("value")
    assert second.logs == "'set'\n"
    assert not (await first).error


async def test_exiting_restarts_the_interpreter(start_session: StartSession) -> None:
    session = await start_session()
    output = await session.run("import os\nos._exit(3)")
    assert output.error
    assert output.logs.startswith("The Python process exited with status 3; the session was")
    assert (await session.run("1 + 1")).logs == "2\n"


async def test_processes_do_not_outlive_the_call(start_session: StartSession) -> None:
    session = await start_session()
    await session.run("import subprocess\nsubprocess.Popen(['sleep', '100'])")
    output = await session.run("import os\nsorted(p for p in os.listdir('/proc') if p.isdigit())")
    assert output.logs == "['1', '2']\n"  # bwrap's init and the driver


async def test_closing_deletes_the_files(start_session: StartSession) -> None:
    session = await start_session()
    await session.put("file.txt", b"x")
    assert await session.files() == [FileInfo("file.txt", 1, (await session.files())[0].mtime_ns)]
    await session.close()
    assert session.closed
    assert await session.files() == []
    with pytest.raises(RuntimeError, match="closed"):
        await session.run("1")
