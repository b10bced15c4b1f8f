"""Plots for the self-study notebooks of the lessons added with the new syllabus sections.

Same shape as build.PLOTS: lesson id -> [(playground module it needs, markdown, code)];
build.py merges them into its table.
"""
from __future__ import annotations

NEW_PLOTS: dict[str, list[tuple[str, str, str]]] = {
    "losses": [(
        "tutor.playground.triplet",
        "### Picture it: the triplet loss's hinge\n\nOne triplet on a line, anchor at 0 and positive "
        "at 1: the loss as the negative moves. Inside the margin it costs (and pulls); beyond it the "
        "loss and every gradient are 0.",
        '''from tutor.playground.triplet import triplet_demo

demo = triplet_demo(anchor=0.0, positive=1.0, negative=1.2, margin=1.0)
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(demo.sweep_negative, demo.sweep_loss)
ax.axvline(demo.positive, color="green", ls=":", label="positive")
ax.set_xlabel("position of the negative"); ax.set_ylabel("triplet loss"); ax.legend()
plt.tight_layout()
plt.show()''')],
    "practice": [(
        "tutor.playground.practice",
        "### Picture it: two learning-rate schedules\n\nStep decay halves the rate every 10 epochs; "
        "exponential decay multiplies it by e^(-k) every epoch.",
        '''from tutor.playground.practice import schedules

s = schedules(lr0=0.1, drop=0.5, every=10, k=0.05, epochs=50)
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.step(s.epochs, s.step, where="post", label="step decay")
ax.plot(s.epochs, s.exponential, label="exponential decay")
ax.set_xlabel("epoch"); ax.set_ylabel("learning rate"); ax.legend()
plt.tight_layout()
plt.show()'''), (
        "tutor.playground.practice",
        "### Picture it: mini-batches\n\nThe same softmax regression and learning rate for the same "
        "number of epochs: small batches take many noisy steps per epoch and get much further.",
        '''from tutor.playground.practice import batch_noise

noise = batch_noise(batch_sizes=(1, 16, 300), epochs=5)
fig, ax = plt.subplots(figsize=(8, 3.5))
for size in noise.batch_sizes:
    ax.plot(noise.losses[size], marker="o", label=f"batch size {size} ({noise.steps[size]} steps/epoch)")
ax.set_xlabel("epoch"); ax.set_ylabel("training loss"); ax.legend()
plt.tight_layout()
plt.show()''')],
    "deeper": [(
        "tutor.playground.deeper",
        "### Picture it: the skip connection keeps the gradient alive\n\nThe gradient norm of each "
        "layer of a 20-layer sigmoid net, plain and residual, with the same weights.",
        '''from tutor.playground.deeper import residual_vs_plain

r = residual_vs_plain("sigmoid", depth=20)
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.semilogy(range(1, r.depth + 1), r.plain, marker="o", label="plain")
ax.semilogy(range(1, r.depth + 1), r.residual, marker="o", label="residual")
ax.set_xlabel("layer (1 = first)"); ax.set_ylabel("gradient norm (log scale)"); ax.legend()
plt.tight_layout()
plt.show()'''), (
        "tutor.playground.deeper",
        "### Picture it: transfer learning with few labels\n\nFeatures from digits 0–4, frozen, and a "
        "new head for 5–9, against a network from scratch, for a few numbers of labels per class.",
        '''from tutor.playground.deeper import transfer

counts = (1, 3, 10)
runs = [transfer(labels_per_class=k) for k in counts]
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(counts, [r.transfer_accuracy for r in runs], marker="o", label="frozen features + new head")
ax.plot(counts, [r.scratch_accuracy for r in runs], marker="o", label="from scratch")
ax.set_xlabel("labelled digits per class"); ax.set_ylabel("held-out accuracy"); ax.legend()
plt.tight_layout()
plt.show()''')],
    "unsupervised": [(
        "tutor.playground.autoencoder",
        "### Picture it: codes of the digits\n\nA 64 → 2 → 64 autoencoder's codes of held-out digits, "
        "coloured by the digit (which it never saw), next to PCA's first two components.",
        '''from tutor.playground.autoencoder import digit_codes

codes = digit_codes(steps=400)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
for ax, points, title in ((left, codes.codes, f"autoencoder (error {codes.autoencoder_error:.4f})"),
                          (right, codes.pca, f"PCA (error {codes.pca_error:.4f})")):
    scatter = ax.scatter(points[:, 0], points[:, 1], c=codes.labels, cmap="tab10", s=12)
    ax.set_title(title)
fig.colorbar(scatter, ax=(left, right), label="digit")
plt.show()''')],
    "capstone": [(
        "tutor.digits",
        "### Picture it: the data\n\nSixteen of the training digits your network learns from.",
        '''from tutor import digits

X, y = digits.train_split()
fig, axes = plt.subplots(2, 8, figsize=(10, 3))
for ax, image, label in zip(axes.ravel(), digits.images(X[:16]), y[:16]):
    ax.imshow(image, cmap="gray_r"); ax.set_title(str(label)); ax.axis("off")
plt.tight_layout()
plt.show()''')],
}
