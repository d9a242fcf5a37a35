/** Test data for training on messy values (train-messy.test.ts, tests/export). */

/** 120 passengers; Sex is male/female/missing, and row 37 has the placeholder ".". */
export function messyCsv(): string {
  const lines = ['age,fare,Sex,Embarked,survived'];
  for (let i = 0; i < 120; i++) {
    const sex = i === 37 ? '.' : i % 11 === 4 ? '' : i % 3 === 0 ? 'female' : 'male';
    const age = i % 13 === 5 ? '' : String(18 + ((i * 7) % 50));
    const fare = ((i * 37) % 90) + 5 + (i % 3 === 0 ? 40 : 0);
    const embarked = ['S', 'C', 'Q'][(i * 5) % 3];
    const survived = (i % 3 === 0) !== (i % 7 === 0) ? 'yes' : 'no';
    lines.push(`${age},${fare},${sex},${embarked},${survived}`);
  }
  return lines.join('\n');
}
