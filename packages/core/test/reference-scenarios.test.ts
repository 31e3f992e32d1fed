import { createBook } from '../src/index';
import { describeBook } from './support/book-suite';

describeBook('reference (js)', (config) => createBook({ ...config, engine: 'js' }));
