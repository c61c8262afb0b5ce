"""Benchmark: one e-mail broadcast through the whole path, against a bare SMTP loop.

    .venv/bin/python bench/email_broadcast.py [--backend sqlite|postgresql|both] [--count 2000]

For each backend: a throw-away database (a SQLite file in a temporary folder; a PostgreSQL
database created on OUTREACH_BENCH_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/test, and dropped after), migrated, with the
reference data, `count` invented PoCs (example.org) spread over the Member States and one
broadcast (template contact_check, one e-mail delivery each). Then the whole path runs in a
child process of its own: Dispatcher.run_once -> claim, render, build_mime, SMTP, record, with
an SmtpSender against a local SmtpSink (loopback, no TLS, no auth, no delay; the sink is a
thread of this process). The child's peak RSS is its own VmHWM (/proc/self/status) at the
end, which it reports with its figures; see run_child for why ru_maxrss is not used.

The reference is a bare aiosmtplib loop, also in a child process: the same number of messages,
rendered and built with build_mime (and serialised) before the clock starts, sent with
sendmail over one reused connection to the same kind of sink. A second reference row, for
context, builds and serialises each message inside the timed loop: the gap between it and the
whole path is the dispatcher's own share (database, rendering, SmtpSender).

--profile FILE runs cProfile in the dispatcher child (FILE.<backend>.prof; slower figures).

--window K (default 4): the dispatcher's window (OUTREACH_MAIL_WINDOW), an SmtpPool of K
connections; a second reference row runs the bare loop over K connections at once.

Targets: whole path >= 0.5 x the bare loop over one connection and >= 0.3 x the bare loop over
K connections (msg/s), on each backend, in the same run. Exits non-zero when the sink did
not receive exactly N distinct Message-IDs or a delivery is not `sent`.
"""

import argparse
import asyncio
import cProfile
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from email import policy as email_policy
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiosmtplib
from sqlalchemy import Engine

from bench._common import (
    BACKENDS,
    Backend,
    addresses_for,
    audience,
    create_pocs,
    database,
    delivery_states,
    enqueue_broadcast,
    mib,
    out,
    vm_hwm_kib,
)
from bot.channels.contract import OutgoingEmail
from bot.channels.email.config import SmtpConfig
from bot.channels.email.mime import build_mime
from bot.channels.email.pool import SmtpPool
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from bot.render.messages import render_message
from storage.db import make_engine
from storage.outbox import Channel
from tests.support.smtp_sink import SmtpSink

MAIL_FROM = "1540 Committee <outreach@example.org>"
ENVELOPE_FROM = "outreach@example.org"
REPLY_TO = "secretariat@example.org"
# As in production: a public URL and a secret, so every message carries its unsubscribe link.
LINKS = LinkSettings(public_url="https://outreach.example.org", secret="bench-secret",
                     message_id_domain="outreach.example.org")
TARGET_RATIO = 0.5  # of the bare loop over one connection
TARGET_RATIO_WINDOW = 0.3  # of the bare loop over the window's K connections
CHILD_DATABASE_ENV = "OUTREACH_BENCH_CHILD_DATABASE_URL"  # not in argv: it may hold a password


@dataclass(frozen=True)
class Run:
    path: str
    backend: str
    messages: int
    seconds: float
    cpu_seconds: float  # the child's own CPU time (user + system) over the same span
    peak_rss_kib: int  # the child's own VmHWM after the run
    baseline_rss_kib: int  # the child's VmHWM just before the clock started
    ru_maxrss_kib: int  # wait4's ru_maxrss: also counts the parent's image at spawn
    ok: bool
    check: str

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


# --- the child processes -----------------------------------------------------------------


async def _dispatch(url: str, smtp_url: str, profile: str | None, window: int
                    ) -> dict[str, Any]:
    engine = make_engine(url)
    sender = SmtpPool(SmtpConfig.from_url(smtp_url), MAIL_FROM, REPLY_TO, connections=window)
    dispatcher = Dispatcher(engine=engine, email=sender, telegram=None, links=LINKS,
                            window=window)
    profiler = cProfile.Profile() if profile else None
    baseline = vm_hwm_kib()
    started, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    stats = await dispatcher.run_once()
    if profiler is not None:
        profiler.disable()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None and profile:
        profiler.dump_stats(profile)
    engine.dispose()
    return {"seconds": seconds, "cpu_seconds": cpu, "sent": stats.sent, "failed": stats.failed,
            "retried": stats.retried, "uncertain": stats.uncertain,
            "baseline_rss_kib": baseline, "peak_rss_kib": vm_hwm_kib()}


def _built(count: int) -> list[tuple[list[str], OutgoingEmail]]:
    """`count` rendered messages, as the dispatcher would hand them to the sender."""
    built: list[tuple[list[str], OutgoingEmail]] = []
    for index in range(count):
        to = addresses_for(index)
        unsubscribe = f"https://outreach.example.org/unsubscribe/{index}/x"
        context = {"poc": {"full_name": f"Bench Person {index:05d}", "title": "",
                           "emails": list(to)},
                   "party": {"code": "FRA", "name": "France"}, "message": {}}
        rendered = render_message("contact_check", "en", context, unsubscribe)
        built.append((list(to), OutgoingEmail(
            delivery_id=index, to=to, subject=rendered.subject, text=rendered.text,
            html=rendered.html, language=rendered.language,
            message_id=f"<bare-{index}@outreach.example.org>", unsubscribe_url=unsubscribe,
        )))
    return built


def _wire(mail: OutgoingEmail) -> bytes:
    return build_mime(mail, MAIL_FROM, REPLY_TO).as_bytes(policy=email_policy.SMTP)


async def _bare_connection(host: str, port: int, build_in_loop: bool,
                           mails: list[tuple[list[str], OutgoingEmail]],
                           ready: list[tuple[list[str], bytes]]) -> None:
    smtp = aiosmtplib.SMTP(hostname=host, port=port, start_tls=False)
    await smtp.connect()
    if build_in_loop:
        for recipients, mail in mails:
            await smtp.sendmail(ENVELOPE_FROM, recipients, _wire(mail))
    else:
        for recipients, data in ready:
            await smtp.sendmail(ENVELOPE_FROM, recipients, data)
    await smtp.quit()


async def _bare(count: int, host: str, port: int, build_in_loop: bool, connections: int
                ) -> dict[str, Any]:
    """The reference loop over `connections` connections at once, each sending its share;
    with build_in_loop, build_mime and serialising are timed too."""
    mails = _built(count)
    ready = [] if build_in_loop else [(to, _wire(mail)) for to, mail in mails]
    baseline = vm_hwm_kib()
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(
        _bare_connection(host, port, build_in_loop, mails[lane::connections],
                         ready[lane::connections]) for lane in range(connections)))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "sent": count, "baseline_rss_kib": baseline,
            "peak_rss_kib": vm_hwm_kib()}


def child_main(args: argparse.Namespace) -> None:
    if args.child == "dispatch":
        profile = str(args.profile) if args.profile else None
        result = asyncio.run(_dispatch(os.environ[CHILD_DATABASE_ENV], args.smtp_url, profile,
                                       args.window))
    else:
        result = asyncio.run(_bare(args.count, args.smtp_host, args.smtp_port,
                                   args.child == "bare-build", args.connections))
    out(json.dumps(result))


# --- the parent --------------------------------------------------------------------------


def run_child(arguments: list[str], database_url: str | None = None) -> tuple[dict[str, Any], int]:
    """Run this script as a child; its JSON answer and its ru_maxrss (KiB).

    ru_maxrss (wait4, or RUSAGE_CHILDREN) is not the child's own peak: Linux carries the
    high-water mark of the image replaced by exec over, and a child forked (or vforked) from
    this parent starts with the parent's, which grows with the set-up and the sink's
    messages. The child's own peak is its VmHWM, which it reports itself.
    """
    env = dict(os.environ)
    if database_url is not None:
        env[CHILD_DATABASE_ENV] = database_url
    process = subprocess.Popen([sys.executable, __file__, *arguments], stdout=subprocess.PIPE,
                               env=env)
    assert process.stdout is not None
    output = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)  # wait4: the rusage of this child alone
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"the benchmark child {arguments[:2]} exited {process.returncode}")
    answer: dict[str, Any] = json.loads(output.decode().strip().splitlines()[-1])
    return answer, int(usage.ru_maxrss)


def message_ids(sink: SmtpSink) -> list[str]:
    parser = BytesHeaderParser(policy=email_policy.default)
    return [str(parser.parsebytes(message.data)["Message-ID"]) for message in sink.messages]


def check_sink(sink: SmtpSink, count: int) -> tuple[bool, str]:
    ids = message_ids(sink)
    distinct = len(set(ids))
    ok = len(ids) == count and distinct == count
    return ok, f"sink got {len(ids)} messages, {distinct} distinct Message-IDs (want {count})"


def bare_loop(count: int, build_in_loop: bool = False, connections: int = 1) -> Run:
    with SmtpSink() as sink:
        answer, peak = run_child(["--child", "bare-build" if build_in_loop else "bare",
                                  "--count", str(count), "--connections", str(connections),
                                  "--smtp-host", sink.host, "--smtp-port", str(sink.port)])
        ok, check = check_sink(sink, count)
    path = "bare loop + build_mime" if build_in_loop else "bare aiosmtplib loop"
    if connections > 1:
        path += f" x{connections}"
    return Run(path, "-", count, float(answer["seconds"]), float(answer["cpu_seconds"]),
               int(answer["peak_rss_kib"]),
               int(answer["baseline_rss_kib"]), peak, ok, check)


def whole_path(backend: Backend, count: int, profile: Path | None, window: int) -> Run:
    with tempfile.TemporaryDirectory(prefix="outreach-bench-") as folder, \
            database(backend, Path(folder)) as url:
        engine: Engine = make_engine(url)
        try:
            setup_started = time.perf_counter()
            poc_ids = create_pocs(engine, count, with_email=True)
            recipients = audience(engine, poc_ids, Channel.EMAIL)
            enqueue_broadcast(engine, recipients)
            setup = time.perf_counter() - setup_started
            out(f"  [{backend}] set-up: {count} PoCs and {len(recipients)} deliveries "
                f"queued in {setup:.2f} s")
        finally:
            engine.dispose()  # the child has the database to itself
        with SmtpSink() as sink:
            extra = ["--profile", str(profile.with_suffix(f".{backend}.prof"))] if profile else []
            answer, peak = run_child(["--child", "dispatch", "--smtp-url", sink.url(),
                                      "--window", str(window), *extra], url)
            ok, check = check_sink(sink, count)
        engine = make_engine(url)
        try:
            states = delivery_states(engine)
        finally:
            engine.dispose()
    all_sent = states == {"sent": count}
    check += f"; deliveries {states} (want all {count} sent)"
    if answer["sent"] != count:
        check += f"; dispatcher reported {answer}"
    return Run(f"whole path (Dispatcher, K={window})", backend, count, float(answer["seconds"]),
               float(answer["cpu_seconds"]),
               int(answer["peak_rss_kib"]), int(answer["baseline_rss_kib"]), peak,
               ok and all_sent and answer["sent"] == count, check)


def report(bare: Run, bare_window: Run, others: list[Run]) -> None:
    out()
    out(f"{'path':<32} {'backend':<11} {'messages':>8} {'seconds':>8} {'msg/s':>8} "
        f"{'x bare':>7} {'x bare K':>8} {'CPU/msg':>8} {'peak RSS':>9} {'before':>8}")
    every = [bare, bare_window, *others]
    for run in every:
        ratio = run.rate / bare.rate if bare.rate else 0.0
        ratio_k = run.rate / bare_window.rate if bare_window.rate else 0.0
        out(f"{run.path:<32} {run.backend:<11} {run.messages:>8} {run.seconds:>8.2f} "
            f"{run.rate:>8.0f} {ratio:>7.2f} {ratio_k:>8.2f} "
            f"{1000 * run.cpu_seconds / max(run.messages, 1):>5.2f} ms "
            f"{mib(run.peak_rss_kib):>5.1f} MiB "
            f"{mib(run.baseline_rss_kib):>4.0f} MiB")
    out()
    out("x bare: msg/s over the bare loop's over one connection (messages built before its")
    out("clock starts); x bare K: over the same loop over the window's K connections at once;")
    out("CPU/msg: the child's own CPU time (user + system) per message, less disturbed than")
    out("wall time by other work on the machine (the sink's share is in this parent);")
    out("peak RSS: each child's own VmHWM at the end; before: its VmHWM as its clock started")
    out("(ru_maxrss from wait4, inflated by this parent's image at spawn: "
        + ", ".join(f"{mib(run.ru_maxrss_kib):.1f}" for run in every) + " MiB)")
    for run in others:
        if run.backend == "-":
            continue
        for target, reference, name in ((TARGET_RATIO, bare, "bare loop"),
                                        (TARGET_RATIO_WINDOW, bare_window, "bare loop x K")):
            ratio = run.rate / reference.rate if reference.rate else 0.0
            verdict = "met" if ratio >= target else "MISSED"
            out(f"target whole path >= {target} x {name} [{run.backend}]: "
                f"{ratio:.2f} -> {verdict}")
    for run in every:
        out(f"check [{run.path}, {run.backend}]: {'OK' if run.ok else 'FAILED'}: {run.check}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--window", type=int, default=4,
                        help="the dispatcher's window K (OUTREACH_MAIL_WINDOW), also the "
                        "number of connections of the second bare loop")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="cProfile the dispatcher child; stats go to FILE.<backend>.prof "
                        "(the figures are then slower than unprofiled)")
    parser.add_argument("--child", choices=["dispatch", "bare", "bare-build"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--connections", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--smtp-url", help=argparse.SUPPRESS)
    parser.add_argument("--smtp-host", help=argparse.SUPPRESS)
    parser.add_argument("--smtp-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return 0
    backends: list[Backend] = list(BACKENDS) if args.backend == "both" else [args.backend]
    out(f"e-mail broadcast of {args.count} messages; window K={args.window}; "
        f"backends: {', '.join(backends)}; {os.cpu_count()} CPUs")
    bare = bare_loop(args.count)
    out(f"  bare loop: {bare.seconds:.2f} s")
    bare_window = bare_loop(args.count, connections=args.window)
    out(f"  bare loop over {args.window} connections: {bare_window.seconds:.2f} s")
    building = bare_loop(args.count, build_in_loop=True)
    out(f"  bare loop building each message: {building.seconds:.2f} s")
    runs = []
    for backend in backends:
        run = whole_path(backend, args.count, args.profile, args.window)
        out(f"  [{backend}] whole path: {run.seconds:.2f} s")
        runs.append(run)
    report(bare, bare_window, [building, *runs])
    every = [bare, bare_window, building, *runs]
    return 0 if all(run.ok for run in every) else 1


if __name__ == "__main__":
    sys.exit(main())
