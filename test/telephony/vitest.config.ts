import { defineConfig } from 'vitest/config';

// The real-telephony suite: Kamailio, rtpengine, sipp and baresip on loopback. It needs those
// programs and its own network namespace, so it is not part of `npm test`; `.ci/run` runs it with
// `test/telephony/run.sh`. One file at a time: they share the SIP ports.
export default defineConfig({
  test: {
    name: 'telephony',
    root: `${import.meta.dirname}/../..`,
    include: ['test/telephony/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
