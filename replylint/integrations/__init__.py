"""Pre-send integrations: replylint in the path a reply takes on its way out.

- ``sendmail``: a wrapper for mutt, neomutt and aerc that lints the message on stdin and hands
  the same bytes to the real sendmail, or holds the message;
- ``validate``: the ``sendemail-validate`` hook of ``git send-email``;
- ``hooks``: ``replylint install-hook``, which writes that hook;
- ``gate``: the policy both share (what blocks, what happens when replylint itself fails).

See docs/integrations/.
"""
