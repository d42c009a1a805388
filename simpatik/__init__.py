"""SIMPATIK: the SOP Pengembangan Aplikasi oleh Diskominfo as working software."""
