"""Local fake chat API servers that tests drive the real SDKs against over HTTP on 127.0.0.1."""
