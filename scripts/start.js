#!/usr/bin/env node
// @ts-check
/**
 * `npm start`: builds what changed since the last build (scripts/build.js), then runs one instance
 * in this process. Listens on 127.0.0.1 unless HOST says otherwise: a development machine does not
 * offer its chat to the network by default (containers and `npm run start:prod` listen on 0.0.0.0).
 */
'use strict';

const { build } = require('./build');

build(['api', 'web'], { onlyChanged: true }).then(
  () => {
    process.env.HOST ??= '127.0.0.1';
    require('../dist/api/api/src/main.js');
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
