from mockbench.cli import main

raise SystemExit(main())
