"""`servicecenter serve` in the app tests' own processes: a free loopback port, and waiting until
a started server answers."""

import socket
import time


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process=None, seconds: float = 60) -> None:
    """Until ``url``/health/ answers 200; fails after ``seconds``, or at once when ``process``
    (the server's) has ended."""
    import requests

    deadline = time.time() + seconds
    while True:
        try:
            if requests.get(f"{url}/health/", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        assert time.time() < deadline and (process is None or process.poll() is None), f"the web server at {url} did not start"
        time.sleep(0.3)
