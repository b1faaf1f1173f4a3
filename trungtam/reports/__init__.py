"""Layer 4 of trungtam: the annual plan's pages, the dashboard, the yearly report and the
lecturer hours report. They read every app; nothing imports them."""
