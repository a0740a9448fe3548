import { SilenceJudge } from './collector-silence.js';

describe('SilenceJudge', () => {
  const allowed = 30_000;

  it('judges only once BRM itself has seen the database for the allowed silence', () => {
    const judge = new SilenceJudge(allowed);
    expect(judge.mayJudge(0)).toBe(false);
    judge.contact(1_000);
    expect(judge.mayJudge(1_000)).toBe(false);
    for (let at = 7_000; at <= 31_000; at += 6_000) judge.contact(at);
    expect(judge.mayJudge(30_999)).toBe(false);
    expect(judge.mayJudge(31_000)).toBe(true);
  });

  it('after its own outage longer than the allowed silence, waits that long again before judging', () => {
    const judge = new SilenceJudge(allowed);
    for (let at = 0; at <= 60_000; at += 6_000) judge.contact(at);
    expect(judge.mayJudge(60_000)).toBe(true);
    // Nothing answered from 60 s to 100 s: the collectors could not write either.
    expect(judge.mayJudge(100_000)).toBe(false);
    judge.contact(100_000);
    expect(judge.mayJudge(100_000)).toBe(false);
    for (let at = 106_000; at <= 130_000; at += 6_000) judge.contact(at);
    expect(judge.mayJudge(129_999)).toBe(false);
    expect(judge.mayJudge(130_000)).toBe(true);
  });

  it('a gap shorter than the allowed silence does not hold judging back', () => {
    const judge = new SilenceJudge(allowed);
    for (let at = 0; at <= 36_000; at += 6_000) judge.contact(at);
    judge.contact(36_000 + 20_000);
    expect(judge.mayJudge(56_000)).toBe(true);
  });
});
