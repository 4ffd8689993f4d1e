"""Chat commands: parse a message, call one service, render a neutral reply."""
