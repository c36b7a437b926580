// pages/surveys.js: placeholder until this page lands.
import { h } from '../dom.js';

export async function render(main) {
  main.append(h('h1', {}, 'surveys'), h('p', {}, 'This page is on its way.'));
}
