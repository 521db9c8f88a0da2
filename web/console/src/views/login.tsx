import { useState } from 'preact/hooks';
import { ApiError, ConsoleApi } from '../api';
import type { StoredAuth } from '../auth';

export function Login({ onLogin }: { onLogin(auth: StoredAuth): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const { accessToken, expiresIn, agent } = await new ConsoleApi(null).login(email.trim(), password);
      onLogin({ token: accessToken, agent, expiresAt: Date.now() + expiresIn * 1000 });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Login failed');
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} data-testid="login-form">
        <h1>Live Chat Console</h1>
        <label>
          Email
          <input type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} data-testid="login-email" />
        </label>
        <label>
          Password
          <input type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} data-testid="login-password" />
        </label>
        {error && (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
