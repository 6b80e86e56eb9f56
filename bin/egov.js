#!/usr/bin/env node
// npm links this as `egov`; the TypeScript sources run directly on Node ≥ 22.18.
import '../src/main.ts';
