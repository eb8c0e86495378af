from clashmap.cli import main

raise SystemExit(main())
