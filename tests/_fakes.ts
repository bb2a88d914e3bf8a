/**
 * The fakes tests run against instead of a model server, a sandbox and the wall clock: a scripted
 * model, a fake executor, a fake clock and reply builders. They are the ones library users get from
 * `@factory/factory/testing`, so the tests use exactly what is published.
 *
 * @module
 */
export * from "../testing.ts";
