// The console's entry point: mounts the app (styles are bundled beside it, so the CSP needs no inline anything).
import { render } from 'preact';
import { App } from './app';
import './console.css';

render(<App />, document.getElementById('app')!);
