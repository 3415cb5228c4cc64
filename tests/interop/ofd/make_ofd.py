#!/usr/bin/env python3
"""Writes a minimal valid OFD document (GB/T 33190-2016) for the interop test, independently of
eseal's code: OFD.xml (§7.4), Doc_0/Document.xml (§7.5, A4 PageArea), Doc_0/PublicRes.xml with
one font (§11), and one Content.xml per page (§8) holding a line of text (§11.2) and a line.

usage: make_ofd.py OUT.ofd [--pages N]
"""
import argparse
import zipfile

NS = 'http://www.ofdspec.org/2016'
DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def ofd_xml():
    return (DECL + f'<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
            '<ofd:DocInfo><ofd:DocID>a1b2c3d4e5f60718293a4b5c6d7e8f90</ofd:DocID>'
            '<ofd:Title>采购合同</ofd:Title><ofd:Author>eseal interop</ofd:Author>'
            '<ofd:CreationDate>2026-11-26</ofd:CreationDate></ofd:DocInfo>'
            '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')


def page_id(i):
    return 10 + 10 * i


def document_xml(pages):
    page_list = ''.join(f'<ofd:Page ID="{page_id(i)}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
                        for i in range(pages))
    return (DECL + f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            f'<ofd:MaxUnitID>{page_id(pages)}</ofd:MaxUnitID>'
            '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
            '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
            f'<ofd:Pages>{page_list}</ofd:Pages></ofd:Document>')


def public_res_xml():
    return (DECL + f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="2" FontName="SimSun" FamilyName="SimSun"/></ofd:Fonts></ofd:Res>')


def content_xml(i, pages):
    text = f'采购合同 第 {i + 1} 页，共 {pages} 页'
    delta = ' '.join(['5'] * (len(text) - 1))
    base = page_id(i)
    return (DECL + f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="{base + 1}">'
            f'<ofd:TextObject ID="{base + 2}" Boundary="20 30 170 10" Font="2" Size="5">'
            '<ofd:FillColor Value="0 0 0"/>'
            f'<ofd:TextCode X="0" Y="5" DeltaX="{delta}">{text}</ofd:TextCode></ofd:TextObject>'
            f'<ofd:PathObject ID="{base + 3}" Boundary="20 45 170 1" LineWidth="0.3">'
            '<ofd:StrokeColor Value="0 0 0"/><ofd:AbbreviatedData>M 0 0.5 L 170 0.5</ofd:AbbreviatedData>'
            '</ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--pages', type=int, default=1)
    a = ap.parse_args()
    with zipfile.ZipFile(a.out, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('OFD.xml', ofd_xml())
        z.writestr('Doc_0/Document.xml', document_xml(a.pages))
        z.writestr('Doc_0/PublicRes.xml', public_res_xml())
        for i in range(a.pages):
            z.writestr(f'Doc_0/Pages/Page_{i}/Content.xml', content_xml(i, a.pages))


if __name__ == '__main__':
    main()
