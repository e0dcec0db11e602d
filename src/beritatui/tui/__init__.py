"""The editor's terminal (Textual).  Calls only ``beritatui.core`` and ``beritatui.feeds``; holds no rules."""
