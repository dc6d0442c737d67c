// Every test file gets the guide's jest.setup.js, which starts mockd on the fixed ports 4280/4290 before the
// file's tests and stops it after them. Two files running at once would start two servers on the same ports,
// so files run one after another, in this process (maxWorkers: 1 is Jest's --runInBand).
module.exports = {
  testEnvironment: 'node',
  setupFilesAfterEnv: ['<rootDir>/jest.setup.js'],
  maxWorkers: 1
};
