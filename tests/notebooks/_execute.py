"""Executes a notebook with nbclient, as `jupyter nbconvert --execute` does, and reports the kernel's
messages by type (so a test can see that a display was updated in place).

Deno 2.9's kernel sometimes publishes `status: idle` before a cell's last outputs (display_data,
update_display_data, even execute_result); nbclient stops listening at idle and drops them. So after
idle this client keeps reading the cell's messages until the kernel has been quiet for QUIET seconds.

usage: python3 _execute.py NOTEBOOK OUTPUT WORKING_DIR TIMEOUT_SECONDS
Writes the executed notebook (errors kept as outputs) to OUTPUT and prints {"msg_type": count} as JSON.
"""
import collections
import json
import queue
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.util import ensure_async

QUIET = 1.5


class DrainingClient(NotebookClient):
    """A NotebookClient that counts kernel messages and keeps outputs sent after `idle`."""

    counts = collections.Counter()

    def process_message(self, msg, cell, cell_index):
        self.counts[msg["msg_type"]] += 1
        return super().process_message(msg, cell, cell_index)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=QUIET))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                self.counts["after_idle"] += 1
                self.process_message(msg, cell, cell_index)


def main():
    source, target, cwd, timeout = sys.argv[1:5]
    notebook = nbformat.read(source, as_version=4)
    client = DrainingClient(
        notebook,
        timeout=int(timeout),
        iopub_timeout=30,
        kernel_name="deno",
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": cwd}},
    )
    client.execute()
    nbformat.write(notebook, target)
    print(json.dumps(client.counts))


if __name__ == "__main__":
    main()
