"""pyx12 as the referee: its verdict on a whole interchange against the implementation guide.

pyx12 takes about half a second per file (it loads its XML maps), so the pipeline uses our fast
structural validator before every submission and pyx12 in tests and `groupbill x12 validate`.
"""

import io
import logging

_NOISE = ("Failed to create 999", "Cannot create AK2")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().splitlines()[0]
        if not message.startswith(_NOISE):
            self.messages.append(message)


def pyx12_problems(text: str) -> list[str]:
    """pyx12's errors for `text`, one line each ('Line:N ...'); empty when it is valid."""
    import pyx12.params
    import pyx12.x12n_document

    logger = logging.getLogger("pyx12")
    collector = _Collect()
    saved = (logger.level, logger.propagate)
    logger.addHandler(collector)
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    try:
        valid = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(text), None, None, None, None)
    finally:
        logger.removeHandler(collector)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
    if not valid and not collector.messages:
        return ["pyx12 rejected the file without saying where"]
    return collector.messages if not valid else []
