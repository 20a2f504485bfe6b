"""Jobs: load what a command needs through :mod:`koordination.io`, compute with
:mod:`koordination.core`, and hand back results (with the input files they came from) for
:mod:`koordination.render` to show. One module per job."""
