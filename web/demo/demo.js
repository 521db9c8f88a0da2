// What a host site adds before <script src=".../widget.js" async>: settings and the command queue.
window.LiveChatSettings = { title: 'Acme support', primaryColor: '#7c3aed', position: 'right' };
window.LiveChat = window.LiveChat || function () { (LiveChat.q = LiveChat.q || []).push(arguments); };
LiveChat('on', 'unread', function (count) { document.title = (count ? '(' + count + ') ' : '') + 'Acme Widgets — live chat demo'; });
document.addEventListener('DOMContentLoaded', function () {
  document.getElementById('open-chat').addEventListener('click', function () { LiveChat('open'); });
});
