#!/usr/bin/env python
"""Same as the `simpatik` console command."""

from simpatik.cli import main

if __name__ == "__main__":
    main()
